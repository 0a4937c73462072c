import { useMutation, useQuery } from '@tanstack/react-query';
import type { FeatureCollection, GeoJsonProperties, Geometry } from 'geojson';
import { useSession } from '../app/context.tsx';
import type { Assessment, AssessmentRequest } from '../api/types.ts';

export function useAssess() {
  const { api } = useSession();
  return useMutation({
    mutationFn: (req: AssessmentRequest) => api.post<Assessment>('/api/v1/treaty/assessments', req),
  });
}

export type AreaCollection = FeatureCollection<Geometry, GeoJsonProperties>;

export function useTreatyAreas(enabled: boolean) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['treaty-areas'],
    enabled,
    staleTime: Infinity,
    retry: false,
    queryFn: ({ signal }) => api.get<AreaCollection>('/api/v1/treaty/areas?winding=d3', signal),
  });
}
